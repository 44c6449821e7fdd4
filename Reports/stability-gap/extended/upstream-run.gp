# Drawn by the replicate harness; run `gnuplot upstream-run.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Upstream pre-training on U 75% + quiz 10% + F 15%"
set xlabel "upstream step"
set ylabel "loss (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'upstream-run.png'
plot 'upstream-run.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "U-val", \
     'upstream-run.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "M-val", \
     'upstream-run.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "medQ", \
     'upstream-run.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "genQ"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'upstream-run.svg'
plot 'upstream-run.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "U-val", \
     'upstream-run.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "M-val", \
     'upstream-run.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "medQ", \
     'upstream-run.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "genQ"
unset output
