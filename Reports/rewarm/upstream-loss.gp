# Drawn by the replicate harness; run `gnuplot upstream-loss.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Forgetting: U-val during the continual phase, per maximum LR"
set xlabel "continual step"
set ylabel "U-val (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'upstream-loss.png'
plot 'upstream-loss.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "const", \
     'upstream-loss.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "lr0.5", \
     'upstream-loss.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1", \
     'upstream-loss.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "lr2"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'upstream-loss.svg'
plot 'upstream-loss.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "const", \
     'upstream-loss.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "lr0.5", \
     'upstream-loss.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1", \
     'upstream-loss.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "lr2"
unset output
