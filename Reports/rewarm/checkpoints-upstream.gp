# Drawn by the replicate harness; run `gnuplot checkpoints-upstream.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Earlier checkpoints: U-val during the continual phase"
set xlabel "continual step"
set ylabel "U-val (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'checkpoints-upstream.png'
plot 'checkpoints-upstream.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "ck25", \
     'checkpoints-upstream.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ck50", \
     'checkpoints-upstream.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'checkpoints-upstream.svg'
plot 'checkpoints-upstream.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "ck25", \
     'checkpoints-upstream.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ck50", \
     'checkpoints-upstream.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1"
unset output
